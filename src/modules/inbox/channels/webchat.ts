// Web chat: the widget talks over a WebSocket; an agent's reply reaches the visitor's open sockets on
// whichever node they are connected to, through the agent feed.
import type { AgentFeed } from '../agent-feed.js';
import type { ChannelAdapter } from './adapter.js';

export function createWebchatAdapter(feed: AgentFeed): ChannelAdapter {
  return {
    async send(channel, msg) {
      feed.publish([
        {
          type: 'message',
          tenantId: channel.tenantId,
          visitor: { channelId: channel.id, anonymousId: msg.to },
          data: { message_id: msg.messageId, conversation_id: msg.conversationId, text: msg.text, direction: 'out' },
        },
      ]);
      return {};
    },
  };
}
