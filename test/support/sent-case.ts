import type { TestService } from './service.ts';

/** The HubEE case of a recorded shipment once sent (an attempt is made here when the queue has not made one yet). */
export async function sentCaseId(test: TestService, reference: string): Promise<string> {
  const { context } = test.service;
  for (let attempt = 0; attempt < 200; attempt++) {
    const shipment = await context.shipments.find(reference);
    if (shipment?.hubeeCaseId && shipment.status !== 'pending') return shipment.hubeeCaseId;
    const outcome = await context.transmit(reference);
    // The queue's worker holds it: its attempt ends soon.
    if (outcome.kind === 'not_claimed') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${reference} was never sent`);
}
