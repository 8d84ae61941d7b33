// What a customer's edit answers with becomes the customer on screen, and the customers list is read again.
import { useQueryClient } from '@tanstack/react-query';
import type { Customer } from '../../api/customers.js';

export function useSaveCustomer(id: string) {
  const qc = useQueryClient();
  return (data: Customer) => {
    qc.setQueryData(['customer', id], data);
    void qc.invalidateQueries({ queryKey: ['customers'] });
  };
}
