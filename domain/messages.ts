import { defineQuery } from '@temporalio/workflow';
import type { Dossier, DossierView } from './dossier';

// Message contracts shared by the API (client side) and the workflow (handler side). The
// actions' updates come from the registry (domain/actions: `updateOf(name)`).
export const dossierQuery = defineQuery<Dossier, [{ view: DossierView }?]>('dossier');

export const taskQueue = 'complaints';
export const complaintWorkflowType = 'complaintWorkflow';
