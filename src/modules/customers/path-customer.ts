// The customer a route's path names, shared by the customers route files.
import type { CustomersService } from './customers-service.js';
import { customerNotFound, customerErased } from './errors.js';

/** Resolves a path id: merged ids lead to the survivor, erased and unknown ids end here. */
export function pathCustomer(service: CustomersService) {
  return async (tenantId: string, id: string) => {
    const found = await service.findCustomerId(tenantId, id);
    if (!found) throw customerNotFound();
    if (found.status === 'erased') throw customerErased();
    return found;
  };
}
