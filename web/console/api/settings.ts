// The tenant's settings areas as the console's policies tab reads and changes them (GET /v1/settings,
// PATCH /v1/settings/{area}), each typed by the contract of the module that declares it.
import type { CustomerValueSettings, IdentityResolutionSettings } from '../../../src/modules/customers/contract.js';
import type { FeedbackSettings } from '../../../src/modules/feedback/contract.js';
import type { LoopSettings } from '../../../src/modules/loop/contract.js';
import type { OutreachSettings } from '../../../src/modules/outreach/contract.js';
import { api, get } from '../../shared/api.js';

export interface SettingsAreas {
  feedback: FeedbackSettings;
  customer_value: CustomerValueSettings;
  identity_resolution: IdentityResolutionSettings;
  loop: LoopSettings;
  outreach: OutreachSettings;
}
export type AreaName = keyof SettingsAreas;

export const getSettings = () => get<{ data: SettingsAreas }>('/v1/settings');
/** Changes only the fields given; the answer is the area whole. */
export const patchSettings = <A extends AreaName>(area: A, edits: Partial<SettingsAreas[A]>) => api<SettingsAreas[A]>('PATCH', `/v1/settings/${area}`, edits);
