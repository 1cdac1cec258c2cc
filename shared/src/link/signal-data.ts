import * as v from 'valibot';

/** Longest SDP accepted from a remote peer; real data-channel offers are 0.5–6 KB. */
export const MAX_SDP_CHARS = 32 * 1024;
/** Longest ICE candidate line accepted. */
export const MAX_CANDIDATE_CHARS = 1024;

const SdpSchema = v.strictObject({
  type: v.picklist(['offer', 'answer']),
  sdp: v.pipe(v.string(), v.maxLength(MAX_SDP_CHARS)),
});

const CandidateSchema = v.strictObject({
  type: v.literal('candidate'),
  candidate: v.object({
    candidate: v.pipe(v.string(), v.maxLength(MAX_CANDIDATE_CHARS)),
    sdpMLineIndex: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)))),
    sdpMid: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64)))),
    usernameFragment: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(256)))),
  }),
});

/**
 * The signal payloads a data-only simple-peer connection exchanges. The server relays `signal.data`
 * without looking inside, so this is the trust boundary: renegotiation and transceiver requests (media
 * only) and anything oversized are refused before simple-peer sees them.
 */
export const PeerSignalSchema = v.variant('type', [SdpSchema, CandidateSchema]);
export type PeerSignal = v.InferOutput<typeof PeerSignalSchema>;

/** The validated signal, or null when the remote sent something else. */
export function parsePeerSignal(data: unknown): PeerSignal | null {
  const result = v.safeParse(PeerSignalSchema, data);
  return result.success ? result.output : null;
}
