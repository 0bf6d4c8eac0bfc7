/** The workflows this worker runs (bundled by the Temporal SDK; deterministic code only). */
export { levelOfCareTransition } from './level-of-care-transition';
export { residentialPlanNotice } from './clocks/residential-plan-notice';
export { crisisFollowUp } from './clocks/crisis-follow-up';
export { medicationAssistedTreatmentReferral } from './clocks/mat-referral';
export { problemListUpdate } from './clocks/problem-list-update';
export { newMemberScreening } from './clocks/new-member-screening';
export { monthlyPlanCoordination } from './clocks/monthly-plan-coordination';
