import type { WorkflowClientInterceptor } from '@temporalio/client';
import { dossierQuery } from '../../domain/messages';

/** A client interceptor that counts dossier queries: the register and the report must make none. */
export function dossierQueryCounter(): { interceptor: WorkflowClientInterceptor; count(): number; reset(): void } {
  let queries = 0;
  return {
    interceptor: {
      query: (input, next) => {
        if (input.queryType === dossierQuery.name) queries++;
        return next(input);
      },
    },
    count: () => queries,
    reset: () => (queries = 0),
  };
}
