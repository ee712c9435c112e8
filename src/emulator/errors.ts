// ARM error responses: every failure the emulator returns has the `{"error":{"code","message"}}` shape that
// core-client maps onto RestError (code, message, details), exactly like management.azure.com.

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ArmErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string; details?: ArmErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details?.length ? { details: this.details } : {}) } };
  }
}

export const badRequest = (message: string, details?: ArmErrorDetail[], code = "BadRequest"): ArmError =>
  new ArmError(400, code, message, details);
