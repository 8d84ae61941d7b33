// Language of a short text from its script: Han characters make it Chinese (traditional when a
// noticeable share of them fold to a different simplified character), Latin letters English.
// Japanese kana and Korean Hangul are recognised so they are not mistaken for Chinese.
import { countTraditional } from './normalize-text.js';

export type Language = 'zh' | 'en' | 'ja' | 'ko' | 'und';

export interface DetectedLanguage {
  language: Language;
  /** For Chinese: which script the text is written in. */
  script?: 'simplified' | 'traditional';
}

export function detectLanguage(text: string): DetectedLanguage {
  let han = 0,
    latin = 0,
    kana = 0,
    hangul = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) latin++;
    else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0xac00 && c <= 0xd7af) hangul++;
  }
  if (kana > 0 && kana * 5 >= han) return { language: 'ja' };
  if (hangul > han && hangul > latin / 3) return { language: 'ko' };
  // A Han character carries roughly a word; Latin letters come five or so to a word.
  if (han > 0 && han * 4 >= latin) {
    const trad = countTraditional(text);
    return { language: 'zh', script: trad >= 2 || (trad >= 1 && trad * 10 >= han) ? 'traditional' : 'simplified' };
  }
  if (latin >= 2) return { language: 'en' };
  return { language: 'und' };
}
