/**
 * The U.S. Web Design System's stylesheet, fonts and images, served by the app itself from the
 * installed @uswds/uswds package (no CDN, so pages work on a county network that blocks one).
 * Only those three folders; its scripts are not needed, since pages run none.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const USWDS_STYLESHEET = '/assets/uswds/css/uswds.min.css';

export async function registerAssets(app: FastifyInstance): Promise<void> {
  const dist = path.resolve(path.dirname(require.resolve('@uswds/uswds/css/uswds.min.css')), '..');
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/assets/uswds/',
    decorateReply: false,
    index: false,
    allowedPath: (pathName) => /^\/(css|fonts|img)\/[\w./-]+$/.test(pathName) && !pathName.includes('..'),
    // The same for everyone and versioned by the package: cached, unlike the pages.
    setHeaders: (res) => res.setHeader('cache-control', 'public, max-age=86400'),
  });
}
