import { ApiProperty } from '@nestjs/swagger';

/** 进度汇总: the problems split from one (拆分下达) and how many of them are signed off. */
export class ProblemRollupDoc {
  @ApiProperty({ example: 3 }) children: number;
  @ApiProperty({ example: 1 }) signedOff: number;
  @ApiProperty({ example: 33, description: 'signed-off share, rounded down' }) percent: number;
}

export class ProblemParentDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HB2017-01' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'CITY' }) leadUnit: string;
}

export class ProblemChildDoc extends ProblemParentDoc {
  @ApiProperty({ example: '2018-10-31' }) deadline: string;
  @ApiProperty({ example: 'rectifying' }) status: string;
  @ApiProperty({ example: '整改中' }) statusLabel: string;
  @ApiProperty({ example: 'green' }) light: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) signedOffAt: Date | null;
}

/** 备案: a child problem's sign-off filed up to its parent. */
export class ProblemFilingDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'the child problem' }) problemId: string;
  @ApiProperty({ example: 'HB2017-01-1' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'YKZ', description: 'the unit that signed it off' }) unitCode: string;
  @ApiProperty({ type: String, format: 'date-time' }) signedOffAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) filedAt: Date;
}
