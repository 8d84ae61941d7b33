// The demo's customers: about six in ten Chinese (pinyin e-mail addresses, mainland phones, some WeChat
// ids), the others English-speaking in London, Singapore and New York; members of the airline's tiers.
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN_ZH = [
  '芳',
  '伟',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '晓东',
  '雪',
  '婷',
];
const PINYIN: Record<string, string> = {
  王: 'wang',
  李: 'li',
  张: 'zhang',
  刘: 'liu',
  陈: 'chen',
  杨: 'yang',
  黄: 'huang',
  赵: 'zhao',
  吴: 'wu',
  周: 'zhou',
  徐: 'xu',
  孙: 'sun',
  马: 'ma',
  朱: 'zhu',
  胡: 'hu',
  郭: 'guo',
  何: 'he',
  林: 'lin',
  高: 'gao',
  罗: 'luo',
};
const FIRST_EN = [
  'Emma',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'James',
  'Sophia',
  'Lucas',
  'Mia',
  'Henry',
  'Grace',
  'Jack',
  'Chloe',
  'Leo',
  'Ruby',
  'Oscar',
  'Amelia',
  'Ethan',
  'Isla',
  'Daniel',
];
const LAST_EN = [
  'Smith',
  'Brown',
  'Taylor',
  'Wilson',
  'Johnson',
  'Walker',
  'Clarke',
  'Wright',
  'Green',
  'Hall',
  'Wood',
  'Harris',
  'Martin',
  'Thompson',
  'White',
];
const ADDRESSES_ZH = [
  '北京市朝阳区建国路88号\n100022',
  '上海市浦东新区世纪大道100号\n200120',
  '广州市天河区天河路385号\n510620',
  '深圳市南山区科技园南路2号\n518057',
];
const ADDRESSES_EN = [
  'Harbour Road\nWan Chai\nHong Kong',
  'King Street\nLondon\nW6 9JT',
  'Orchard Road\nSingapore 238879',
  'West 34th Street\nNew York, NY 10001',
];

/** The profiles of `count` customers, as a company's import would send them; the same `rand` gives the same people. */
export function makeDemoCustomers(count: number, rand: () => number) {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  return Array.from({ length: count }, (_, i) => {
    const isChinese = rand() < 0.62;
    const n = String(i).padStart(4, '0');
    if (isChinese) {
      const family = pick(SURNAMES),
        given = pick(GIVEN_ZH);
      return {
        identities: {
          email: `${PINYIN[family]}.${n}@example.cn`,
          phone: `+86139${String(10_000_000 + i * 37).slice(-8)}`,
          ...(rand() < 0.5 ? { wechat_openid: `oWx${n}demo${Math.floor(rand() * 1e6)}` } : {}),
        },
        given_name: given,
        family_name: family,
        display_name: `${family}${given}`,
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        attributes: {
          membership_tier: pick(['blue', 'blue', 'silver', 'gold', 'platinum']),
          home_airport: pick(['PEK', 'PVG', 'CAN', 'SZX']),
          ...(rand() < 0.7 ? { postal_address: pick(ADDRESSES_ZH) } : {}),
        },
      };
    }
    const first = pick(FIRST_EN),
      last = pick(LAST_EN);
    return {
      identities: { email: `${first}.${last}.${n}@example.com`.toLowerCase(), ...(rand() < 0.6 ? { phone: `+44770090${String(i).padStart(4, '0')}` } : {}) },
      given_name: first,
      family_name: last,
      display_name: `${first} ${last}`,
      locale: 'en',
      timezone: pick(['Europe/London', 'Asia/Singapore', 'America/New_York']),
      attributes: {
        membership_tier: pick(['blue', 'silver', 'gold']),
        home_airport: pick(['LHR', 'SIN', 'JFK']),
        ...(rand() < 0.7 ? { postal_address: `${1 + Math.floor(rand() * 200)} ${pick(ADDRESSES_EN)}` } : {}),
      },
    };
  });
}

export type DemoPerson = ReturnType<typeof makeDemoCustomers>[number];
