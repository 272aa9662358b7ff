import { CompactEncrypt, compactDecrypt, errors as joseErrors } from 'jose';
import { isScale, type Scale } from '../../schema/scales';
import { ID_PREFIXES, randomBase32 } from './ids';
import type { KeyRing } from './key-ring';
import { isCanonicalBase64Url, utf8 } from './encoding';

/**
 * Per-message link tokens.
 *
 * The claims are encrypted, not only signed (JWE, RFC 7516, `dir` + `A256GCM`), because a link in an
 * email is forwarded, logged by mail gateways and pasted into tickets: the recipient's email and the
 * ticket ref must not be readable from it. AES-GCM authenticates too, so a token cannot be forged or
 * altered without the key. The payload is a compact JSON array rather than a JWT claims object to keep
 * a whole link under 300 characters.
 *
 * Keys are handed to jose as raw bytes: jose 5 then uses node:crypto on Node (a synchronous AES-GCM,
 * ~40 µs a click) and WebCrypto on workerd. WebCrypto on Node runs on the libuv thread pool and
 * cost ~350 µs a click, a third of the whole capture path (measured with scripts/bench.ts).
 */
export interface LinkClaims {
  workspaceId: string;
  surveyId: string;
  scale: Scale;
  /** What the feedback is about, e.g. a ticket ref. */
  subject: string;
  /** Who answers: an email or a customer id. */
  recipient: string;
  agent: string | null;
  /**
   * Unique per minted link (format 1). Format 2 spends these characters on the properties id
   * instead and leaves it empty: AES-GCM's random 96-bit IV already makes every token distinct,
   * and a link must stay under 300 characters.
   */
  linkId: string;
  /**
   * The link's segment properties (`link_properties`, issue 15) as their id, or null. The set
   * itself stays in the database: the token carries its 16 characters, and the click copies them
   * into its response within its own write.
   */
  propertiesId: string | null;
  /** Expiry, epoch seconds. */
  expiresAt: number;
}

/** Stable codes callers branch on (never the message text). */
export type LinkTokenErrorCode = 'LINK_MALFORMED' | 'LINK_UNKNOWN_KEY' | 'LINK_EXPIRED';

export class LinkTokenError extends Error {
  constructor(
    readonly code: LinkTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinkTokenError';
  }
}

/** Version 1: 9 fields. Version 2: the properties id in the place of the link id (only links with properties, so others keep their length). */
const FORMAT_VERSION = 1;
const FORMAT_WITH_PROPERTIES = 2;
/** The prefix of a link-properties id (`services/link-properties.ts`); the token carries what follows it. */
export const PROPERTIES_ID_PREFIX = 'prp_';
/** Id prefixes are implied by position in the payload, so they are not spent on link length. */
const WS = `${ID_PREFIXES.workspace}_`;
const SV = `${ID_PREFIXES.survey}_`;
function stripPrefix(id: string, prefix: string): string {
  if (!id.startsWith(prefix)) throw new TypeError(`expected an id starting with ${prefix}`);
  return id.slice(prefix.length);
}
const decoder = new TextDecoder();

/** Encrypts claims with the ring's current key. */
export async function mintLinkToken(keys: KeyRing, claims: Omit<LinkClaims, 'linkId' | 'propertiesId'> & { linkId?: string; propertiesId?: string | null }): Promise<string> {
  const payload: unknown[] = [
    claims.propertiesId ? FORMAT_WITH_PROPERTIES : FORMAT_VERSION,
    stripPrefix(claims.workspaceId, WS),
    stripPrefix(claims.surveyId, SV),
    claims.scale,
    claims.subject,
    claims.recipient,
    claims.agent ?? 0,
    claims.propertiesId ? stripPrefix(claims.propertiesId, PROPERTIES_ID_PREFIX) : (claims.linkId ?? randomBase32(50)),
    claims.expiresAt,
  ];
  return new CompactEncrypt(utf8(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keys.current.kid })
    .encrypt(keys.current.secret);
}

/**
 * Decrypts and checks a token. Throws LinkTokenError: LINK_MALFORMED for anything tampered,
 * truncated or not ours; LINK_UNKNOWN_KEY for a key id not in the ring; LINK_EXPIRED past expiry.
 */
export async function openLinkToken(keys: KeyRing, token: string, now: Date): Promise<LinkClaims> {
  // Decoders ignore the spare bits of each part's last character (and jose accepts padding), so
  // several spellings of a token would open; only the one we minted does.
  if (!token.split('.').every(isCanonicalBase64Url)) throw malformed();
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(
      token,
      async (header) => {
        const secret = typeof header.kid === 'string' ? keys.find(header.kid) : undefined;
        if (!secret) throw new LinkTokenError('LINK_UNKNOWN_KEY', 'The link was made with a key this service does not have.');
        return secret;
      },
      { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] },
    ));
  } catch (error) {
    if (error instanceof LinkTokenError) throw error;
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError || error instanceof SyntaxError) {
      throw new LinkTokenError('LINK_MALFORMED', 'The link is damaged or was not made by this service.');
    }
    throw error;
  }
  const claims = parsePayload(plaintext);
  if (claims.expiresAt * 1000 <= now.getTime()) throw new LinkTokenError('LINK_EXPIRED', 'The link has expired.');
  return claims;
}

/**
 * Built only when thrown: an Error captures a stack trace, which cost ~5% of a click when eager.
 * A module-level function, not a closure made per call: under tsx every named closure is also
 * passed through esbuild's `__name` helper (a property definition): 1.5 µs of a 15 µs token open.
 */
function malformed(): LinkTokenError {
  return new LinkTokenError('LINK_MALFORMED', 'The link is damaged or was not made by this service.');
}

function parsePayload(plaintext: Uint8Array): LinkClaims {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(plaintext));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 9 || (value[0] !== FORMAT_VERSION && value[0] !== FORMAT_WITH_PROPERTIES)) throw malformed();
  const [version, workspaceId, surveyId, scale, subject, recipient, agent, linkOrProperties, expiresAt] = value as unknown[];
  const withProperties = version === FORMAT_WITH_PROPERTIES;
  if (withProperties && (typeof linkOrProperties !== 'string' || !/^[0-9a-z]{12}$/.test(linkOrProperties))) throw malformed();
  const linkId = withProperties ? '' : linkOrProperties;
  const strings = [workspaceId, surveyId, subject, recipient, linkId];
  if (!strings.every((s) => typeof s === 'string') || !isScale(scale) || typeof expiresAt !== 'number') throw malformed();
  if (agent !== 0 && typeof agent !== 'string') throw malformed();
  return {
    workspaceId: WS + (workspaceId as string),
    surveyId: SV + (surveyId as string),
    scale,
    subject: subject as string,
    recipient: recipient as string,
    agent: agent === 0 ? null : (agent as string),
    linkId: linkId as string,
    expiresAt,
    propertiesId: withProperties ? PROPERTIES_ID_PREFIX + (linkOrProperties as string) : null,
  };
}
