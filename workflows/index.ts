/** The workflows this worker runs (bundled by the Temporal SDK; deterministic code only). */
export { levelOfCareTransition } from './level-of-care-transition';
