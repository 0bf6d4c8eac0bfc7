/**
 * Horizontal bar charts as inline SVG, drawn on the server (the pages run no scripts), each with
 * its figures in a table beneath for screen readers and for anyone who would rather read.
 */
import { html, type Html } from './html';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export interface ChartBar {
  label: string;
  /** One value per series, in the series' order; stacked. */
  values: number[];
  /** What the bar's end says; the total by default. */
  note?: string;
}

const ROW = 26;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 340;
/** Room after the longest bar for its note. */
const NOTE_WIDTH = 170;
const LEGEND_STEP = 125;

export function barChart(title: string, series: ChartSeries[], bars: ChartBar[]): Html {
  const total = (b: ChartBar) => b.values.reduce((n, v) => n + v, 0);
  const max = Math.max(1, ...bars.map(total));
  const legend = series.length > 1 ? 24 : 0;
  const height = bars.length * ROW + legend + 4;
  const width = Math.max(LABEL_WIDTH + BAR_WIDTH + NOTE_WIDTH, LABEL_WIDTH + series.length * LEGEND_STEP);
  const rows = bars.map((bar, i) => {
    const y = legend + i * ROW;
    let x = LABEL_WIDTH;
    const segments = bar.values.map((v, s) => {
      const width = (v / max) * BAR_WIDTH;
      const rect = html`<rect
        x="${x.toFixed(1)}"
        y="${y + 4}"
        width="${width.toFixed(1)}"
        height="${ROW - 8}"
        fill="${series[s]!.color}"
        ><title>${series[s]!.label}: ${v}</title></rect
      >`;
      x += width;
      return rect;
    });
    return html`<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${bar.label}</text>
      ${segments}<text x="${x + 6}" y="${y + ROW / 2 + 4}">${bar.note ?? String(total(bar))}</text>`;
  });
  const keys = series.map(
    (s, i) =>
      html`<rect x="${LABEL_WIDTH + i * LEGEND_STEP}" y="4" width="12" height="12" fill="${s.color}" /><text
          x="${LABEL_WIDTH + i * LEGEND_STEP + 16}"
          y="15"
          >${s.label}</text
        >`,
  );
  return html`<figure>
    <figcaption><strong>${title}</strong></figcaption>
    <svg
      role="img"
      aria-label="${title}"
      viewBox="0 0 ${width} ${height}"
      width="100%"
      style="max-width: 44rem; font: 13px system-ui, sans-serif"
    >
      ${legend ? keys : html``}${rows}
    </svg>
    <details>
      <summary>The figures</summary>
      <table class="usa-table">
        <thead>
          <tr>
            <th scope="col"></th>
            ${series.map((s) => html`<th scope="col">${s.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${bars.map(
            (b) =>
              html`<tr>
                <th scope="row">${b.label}</th>
                ${b.values.map((v) => html`<td>${String(v)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}
