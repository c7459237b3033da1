import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AddInformationRequest,
  AddInvolvedRequest,
  AddNoteRequest,
  RecordCauseRequest,
  AssignRequest,
  CloseRequest,
  DecideAppealRequest,
  ExtendTermRequest,
  FileAppealRequest,
  RecordExternalOutcomeRequest,
  RecordExternalReferralRequest,
  ScheduleHearingRequest,
  LogContactRequest,
  RespondSatisfactionRequest,
  SendPositionRequest,
  WithdrawRequest,
} from './complaint';
import type { Dossier } from './dossier';

// Message contracts shared by the API (client side) and the workflow (handler side).
export const dossierQuery = defineQuery<Dossier, [{ view: 'staff' | 'complainant' }?]>('dossier');
export const closeUpdate = defineUpdate<Dossier, [CloseRequest]>('close');
export const assignUpdate = defineUpdate<Dossier, [AssignRequest]>('assign');
export const addInvolvedUpdate = defineUpdate<Dossier, [AddInvolvedRequest]>('addInvolved');
export const logContactUpdate = defineUpdate<Dossier, [LogContactRequest]>('logContact');
export const sendPositionUpdate = defineUpdate<Dossier, [SendPositionRequest]>('sendPosition');
export const respondSatisfactionUpdate = defineUpdate<Dossier, [RespondSatisfactionRequest]>('respondSatisfaction');
export const withdrawUpdate = defineUpdate<Dossier, [WithdrawRequest]>('withdraw');
export const recordCauseUpdate = defineUpdate<Dossier, [RecordCauseRequest]>('recordCause');
export const addNoteUpdate = defineUpdate<Dossier, [AddNoteRequest]>('addNote');
export const addInformationUpdate = defineUpdate<Dossier, [AddInformationRequest]>('addInformation');
export const extendTermUpdate = defineUpdate<Dossier, [ExtendTermRequest]>('extendTerm');
export const scheduleHearingUpdate = defineUpdate<Dossier, [ScheduleHearingRequest]>('scheduleHearing');
export const fileAppealUpdate = defineUpdate<Dossier, [FileAppealRequest]>('fileAppeal');
export const decideAppealUpdate = defineUpdate<Dossier, [DecideAppealRequest]>('decideAppeal');
export const recordExternalReferralUpdate = defineUpdate<Dossier, [RecordExternalReferralRequest]>('recordExternalReferral');
export const recordExternalOutcomeUpdate = defineUpdate<Dossier, [RecordExternalOutcomeRequest]>('recordExternalOutcome');

export const taskQueue = 'complaints';
export const complaintWorkflowType = 'complaintWorkflow';
