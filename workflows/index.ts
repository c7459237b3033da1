export { complaintWorkflow } from './complaint';
