// How many SMS parts a text costs. GSM 03.38: the 7-bit default alphabet fits 160 characters in one
// message and 153 per part when concatenated (the UDH takes 7); characters of the extension table
// (^{}\[~]| and €) take two septets. Anything else forces UCS-2: 70 in one, 67 per part, counted in
// UTF-16 code units (an emoji is two).
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the customer sees them. */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

export function measureSms(text: string): SmsSize {
  let septets = 0;
  let isGsm = true;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      isGsm = false;
      break;
    }
  }
  const characters = [...text].length;
  if (isGsm) return { encoding: 'GSM-7', characters, units: septets, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length;
  return { encoding: 'UCS-2', characters, units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
