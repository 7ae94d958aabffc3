import { ApiProperty } from '@nestjs/swagger';
import { ErrorResponse } from '../auth/dto/login.dto.js';

export { ErrorResponse };

export class FieldErrorDoc {
  @ApiProperty({ example: 'unitCode', description: 'the field as sent (nested fields dotted)' }) field: string;
  @ApiProperty({ example: 'no unit with code NOPE' }) message: string;
}

/** 422 from the validation pipe and from the services' own checks: every bad field named. */
export class ValidationErrorResponse extends ErrorResponse {
  @ApiProperty({
    type: [FieldErrorDoc],
    required: false,
    description: 'every bad field (absent when the refusal is not about one field)',
  })
  fields?: FieldErrorDoc[];
}
