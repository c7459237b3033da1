export { complaintWorkflow } from './complaint';
export { destructionLogWorkflow, destructionStatementWorkflow } from './destructions';
