// What the widget says, in English and Chinese.
export const STRINGS = {
  en: {
    open: 'Open chat and feedback', close: 'Close', title: 'How can we help?', chat: 'Chat', feedback: 'Feedback',
    chatSoon: 'Live chat is not available yet. Leave us your feedback and we will read every word.',
    message: 'Your message', you: 'You', agent: 'Support', connecting: 'Connecting…', chatFailed: 'Not connected. Retrying…',
    rating: 'How was your experience?', star: '{n} of 5', text: 'Your feedback', send: 'Send', sending: 'Sending…',
    thanks: 'Thank you! Your feedback reached us.', failed: 'Sorry, that did not go through. Please try again.', tooMany: 'Too many messages; please try again later.',
    later: 'Not now', required: 'Please answer the questions marked *.', of: '{n} of {max}',
    helpSearch: 'Search our help articles', search: 'Search', searching: 'Searching…', noHits: 'No article matches that.', stillNeedHelp: 'Still need help? Chat with us',
  },
  zh: {
    open: '打开聊天与反馈', close: '关闭', title: '有什么可以帮您？', chat: '聊天', feedback: '反馈',
    chatSoon: '在线聊天暂未开放。欢迎留下您的反馈，我们会认真阅读每一条。',
    message: '您的消息', you: '我', agent: '客服', connecting: '连接中…', chatFailed: '未连接，正在重试…',
    rating: '您的体验如何？', star: '{n} 分（满分 5 分）', text: '您的反馈', send: '发送', sending: '发送中…',
    thanks: '谢谢！我们已收到您的反馈。', failed: '抱歉，发送失败，请重试。', tooMany: '发送过于频繁，请稍后再试。',
    later: '以后再说', required: '请回答标有 * 的问题。', of: '{n} 分（满分 {max} 分）',
    helpSearch: '搜索帮助文章', search: '搜索', searching: '搜索中…', noHits: '没有找到相关文章。', stillNeedHelp: '仍需帮助？与我们聊天',
  },
};


export type Strings = (typeof STRINGS)['en'];
