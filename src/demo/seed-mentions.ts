// The demo's public voice over the last three months: a watch-list on all twelve angles, about 3,000
// mentions on Weibo, WeChat, forums, reviews and app stores, and a crisis 40 days ago — an evening of
// cancellations at Pudong that went viral — which the hourly detector, run over those hours as it would
// have been, flags and later closes. Mentions go in through the listening import door, 500 at a time.
import type { Story } from './seed-story.js';
import { DAY, HOUR } from './seed-story.js';

const WATCH: [string, string, string[]][] = [
  ['company', '东方航空', ['东航', 'Demo Air']],
  ['brand', '凤凰会员', ['Phoenix Club']],
  ['product', '免税店', ['duty free']],
  ['executive', '陈总裁', ['CEO Chen']],
  ['spokesperson', '易烊千玺', ['千玺']],
  ['slogan', '世界因你而近', ['closer to you']],
  ['competitor', '南方航空', ['南航']],
  ['industry', '民航局', ['CAAC']],
  ['weakness', '延误', ['delay', '晚点']],
  ['partner', '携程', ['Trip.com']],
  ['key_customer', '华为差旅', ['Huawei travel']],
  ['ip', '凤凰标志', ['phoenix logo']],
];

const POSTS = {
  positive: [
    '东航的空姐服务真好，餐食也不错',
    '凤凰会员积分兑换贵宾室太方便了',
    '免税店的东西比市区便宜不少',
    '易烊千玺代言的新广告好看',
    'Demo Air crew were lovely on my flight to London',
    'The duty free prices at T3 were great',
    '南航和东航比，我还是更喜欢东航的座位',
    '携程上订东航的票很顺利',
  ],
  neutral: [
    '民航局发布了新的行李规定',
    '明天坐东航去上海',
    '有人知道免税店几点开门吗',
    'CAAC publishes the summer schedule',
    '华为差旅今年换了合作航司',
    '世界因你而近这个口号挺久了',
  ],
  negative: [
    '东航又延误了三个小时，客服态度还特别差',
    '行李在浦东丢了两天还没找到',
    '退款申请两周了还没到账',
    'Demo Air lost my bag and nobody calls back',
    '晚点两小时也不通知，太失望',
    'App 值机总是闪退',
  ],
  crisis: [
    '东航浦东今晚大面积取消航班，几百人滞留没人管',
    '滞留浦东机场五个小时，东航一个工作人员都没有',
    'Demo Air cancelled every evening flight at Pudong, hundreds stranded',
    '东航取消航班不安排酒店，太过分了',
    '#东航浦东滞留# 老人孩子都在地上睡',
    '延误取消还不退款，东航给个说法',
  ],
};
const CHANNELS = ['weibo', 'weibo', 'weibo', 'wechat', 'forum', 'review', 'app_store', 'news', 'video'];

export async function seedMentions(s: Story): Promise<string> {
  const { r, tenantId, rand, pick } = s;
  for (const [angle, term, aliases] of WATCH) await r.listening.addWatchTerm(tenantId, { angle: angle as never, term, aliases });
  const mentions: { channel: string; url: string; author: string; reach: number; text: string; published_at: string }[] = [];
  const add = (at: number, tone: keyof typeof POSTS) => {
    const n = mentions.length;
    const text = `${pick(POSTS[tone])}${n % 5 === 0 ? '' : ` #${n % 97}`}`;
    mentions.push({
      channel: pick(CHANNELS),
      url: `https://social.example/post/${n}`,
      author: `用户${1000 + Math.floor(rand() * 9000)}`,
      reach: Math.floor(rand() ** 3 * 200_000),
      text,
      published_at: new Date(at).toISOString(),
    });
  };
  for (let i = 0; i < Math.max(200, Math.round(2800 * s.scale)); i++) {
    const u = rand();
    add(s.now - rand() * 90 * DAY, u < 0.35 ? 'positive' : u < 0.75 ? 'neutral' : 'negative');
  }
  // The crisis: six hours of angry posts from 19:00 Beijing time (11:00 UTC), 40 days ago.
  const crisisStart = Math.floor((s.now - 40 * DAY) / DAY) * DAY + 11 * HOUR;
  for (let i = 0; i < 300; i++) add(crisisStart + rand() ** 1.5 * 6 * HOUR, rand() < 0.85 ? 'crisis' : 'negative');
  mentions.sort((a, b) => (a.published_at < b.published_at ? -1 : 1));
  // A post nearly the same as an earlier one is that mention again to the listening post (ingest-mentions.ts): counted once.
  let stored = 0;
  let repeats = 0;
  for (let i = 0; i < mentions.length; i += 500) {
    const out = await r.listening.importMentions(tenantId, mentions.slice(i, i + 500));
    stored += out.accepted;
    repeats += out.duplicates;
  }
  // The detector as it ran each hour through the storm and after it: it opens the alerts and closes them.
  let opened = 0;
  for (let h = 1; h <= 12; h++) opened += (await r.listening.checkCrisis(tenantId, { now: new Date(crisisStart + h * HOUR + 120_000) })).opened.length;
  return `${WATCH.length} watch-list terms on every angle, ${stored} mentions (of ${mentions.length} posts; ${repeats} repeated an earlier one), ${opened} crisis alerts`;
}
