/** One reason a deployment is refused. */
export interface DeployProblem {
  /** The BPMN element id, or the tag name when the element has none. */
  element?: string;
  /** A human-readable English sentence. */
  reason: string;
}

export function formatProblem(p: DeployProblem): string {
  return p.element ? `${p.element}: ${p.reason}` : p.reason;
}

/** A deployment refused as a whole, listing every problem found so the author can fix them in one go. */
export class DeployError extends Error {
  constructor(
    public readonly resource: string,
    public readonly problems: DeployProblem[],
  ) {
    super(`${resource}: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'DeployError';
  }
}
