// HTTP for customers: profiles, identities, preferences, consent, merges, privacy.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CustomersService } from './customers-service.js';

export function customersRoutes(service: CustomersService): FastifyPluginAsyncZod {
  return async (_app) => {
    void service;
  };
}
