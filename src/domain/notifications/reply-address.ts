/**
 * Reply-To addresses proper to a request and a recipient: `reponse+<number>-<user>-<mac>@domain`.
 * The MAC (HMAC-SHA256 under a key derived from the portal's secret) makes them unguessable, so
 * a reply can only add to the request of the person it was sent to.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type ReplyTarget = { requestNumber: number; userId: number };

const MAC_HEX = 24;

const keyOf = (secret: string) => createHmac('sha256', secret).update('guichet:reply-to').digest();

function mac(secret: string, target: ReplyTarget): string {
  return createHmac('sha256', keyOf(secret)).update(`${target.requestNumber}.${target.userId}`).digest('hex').slice(0, MAC_HEX);
}

function split(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  return { local: address.slice(0, at), domain: address.slice(at + 1).toLowerCase() };
}

export function replyAddress(base: string, secret: string, target: ReplyTarget): string {
  const parts = split(base);
  if (!parts) throw new Error(`invalid reply base address: ${base}`);
  return `${parts.local}+${target.requestNumber}-${target.userId}-${mac(secret, target)}@${parts.domain}`;
}

/** The target of a reply address, or null when it is not one of ours or its MAC is wrong. */
export function parseReplyAddress(address: string, base: string, secret: string): ReplyTarget | null {
  const parts = split(address.trim());
  const baseParts = split(base);
  if (!parts || !baseParts || parts.domain !== baseParts.domain) return null;
  const match = new RegExp(`^${escapeRegExp(baseParts.local)}\\+(\\d{1,15})-(\\d{1,10})-([0-9a-f]{${MAC_HEX}})$`, 'i').exec(
    parts.local,
  );
  if (!match) return null;
  const target = { requestNumber: Number(match[1]), userId: Number(match[2]) };
  const expected = Buffer.from(mac(secret, target));
  const given = Buffer.from((match[3] ?? '').toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected) ? target : null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
