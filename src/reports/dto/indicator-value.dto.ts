import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';

export class IndicatorValueDto {
  @ApiProperty({ example: 61.5, description: "the month's value in the indicator's unit (μg/m³, %)" })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Min(0)
  @Max(100_000)
  value: number;
}
