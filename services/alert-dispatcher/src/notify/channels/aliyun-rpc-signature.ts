import { createHmac } from 'node:crypto';

/**
 * Aliyun RPC-style request signing (SignatureVersion 1.0, HMAC-SHA1), as used by Dysms
 * (SendSms) and Dyvms (SingleCallByTts): sort the parameters by name, percent-encode names
 * and values (RFC 3986: space → %20, * → %2A, ~ kept), join as a query, then
 * StringToSign = METHOD + "&" + encode("/") + "&" + encode(query), and
 * Signature = base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
 */

export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] as string)}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function aliyunSignature(
  accessKeySecret: string,
  method: 'GET' | 'POST',
  params: Record<string, string>,
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(stringToSign(method, params), 'utf8')
    .digest('base64');
}
