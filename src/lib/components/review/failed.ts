/** A decision form that came back refused, as the review page hands it to the item it belongs to. */
export type FailedDecision = { message?: string; errors?: Record<string, string>; values?: Record<string, string> } | null;
