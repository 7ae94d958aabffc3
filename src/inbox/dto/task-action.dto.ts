import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsString, Length } from 'class-validator';

export class HandoverDto {
  /** Username of a colleague of the same unit. */
  @ApiProperty({
    example: 'li.hbj',
    minLength: 1,
    maxLength: 100,
    description: 'username of the colleague (of the same unit, for a unit account)',
  })
  @IsString()
  @Length(1, 100)
  to: string;
}

export class ExtensionRequestDto {
  @IsDateString({ strict: true }) date: string;
  @IsString() @Length(2, 2000) reason: string;
}
