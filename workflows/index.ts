export { complaintWorkflow } from './complaint';
export { destructionLogWorkflow, destructionStatementWorkflow } from './destructions';
export { staffSignInWorkflow } from './sign-in';
export { dossierLinkWorkflow } from './dossier-link';
export { periodReportWorkflow } from './reports';
export { mailboxWorkflow } from './mailbox';
