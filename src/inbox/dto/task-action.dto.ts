import { IsDateString, IsString, Length } from 'class-validator';

export class HandoverDto {
  /** Username of a colleague of the same unit. */
  @IsString() @Length(1, 100) to: string;
}

export class ExtensionRequestDto {
  @IsDateString({ strict: true }) date: string;
  @IsString() @Length(2, 2000) reason: string;
}
