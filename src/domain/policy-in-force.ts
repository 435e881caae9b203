/**
 * Which published policy is in force for a province: the latest one published for the province
 * itself, else the latest published for the group, else the given fallback (the shipped default).
 * The server scores with this choice and a connected tablet reads the same files with it, so
 * both use one policy for a province's rankings.
 */
export interface PublishedPolicy<P> {
  /** `group` or `group/<province>`; files for other units are ignored. */
  unit: string
  policy: P
}

/** `published` in the order it was published (oldest first). */
export function policyInForce<P>(
  published: readonly PublishedPolicy<P>[],
  province: string | null,
  fallback: P,
): P {
  let group: P | undefined
  let own: P | undefined
  for (const p of published) {
    if (p.unit === 'group') group = p.policy
    else if (province !== null && p.unit === `group/${province}`) own = p.policy
  }
  return own ?? group ?? fallback
}
