export { type AckLinkClaims, type AckLinkVerdict, signAckLink, verifyAckLink } from './ack-link-token';
export {
  type Body,
  computeSignature,
  DEFAULT_TOLERANCE_SEC,
  HEADER_DELIVERY,
  HEADER_EVENT,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  type HeaderSource,
  type SignOptions,
  signWebhook,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  verifyWebhook,
} from './webhook-signature';
