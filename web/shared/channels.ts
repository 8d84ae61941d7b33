// The contact channels and purposes a customer's preferences and consent are written in, in the order
// the console and the portal offer them; checked against the customers module's unions.
import type { Channel, Purpose } from '../../src/modules/customers/contract.js';
import { everyOf } from './contract.js';

export const CHANNELS = everyOf<Channel>()(['email', 'sms', 'wechat', 'weibo', 'webchat', 'phone', 'whatsapp', 'app_push']);
export const PURPOSES = everyOf<Purpose>()(['transactional', 'service', 'marketing']);
