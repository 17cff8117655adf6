import { defineErrors } from '@yujing/errors';

/** Error codes of the one-time acknowledge links in notification messages (docs/notifications.md). */
export const ackLinkErrors = defineErrors('operator-api-ack-links', {
  YJ_ERR_ACK_LINK_INVALID: {
    statusCode: 403,
    retryable: false,
    message: 'the acknowledge link is malformed or its signature does not match (forged or altered)',
  },
  YJ_ERR_ACK_LINK_EXPIRED: {
    statusCode: 410,
    retryable: false,
    message: 'the acknowledge link has expired',
  },
  YJ_ERR_ACK_LINK_USED: {
    statusCode: 409,
    retryable: false,
    message: 'the acknowledge link was already used; each link acknowledges once',
  },
});
