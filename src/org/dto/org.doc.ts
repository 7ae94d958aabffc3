import { ApiProperty } from '@nestjs/swagger';
import { PERSON_ROLES } from './create-person.dto.js';
import { UNIT_LEVELS } from '../unit-levels.js';

export class UnitDoc {
  @ApiProperty({ example: 'HBJ' }) code: string;
  @ApiProperty({ example: '市环保局' }) name: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'CITY',
    description: 'the parent unit; null for the top of the tree',
  })
  parentCode: string | null;
  @ApiProperty({
    nullable: true,
    enum: UNIT_LEVELS,
    description: "the unit's level; null for a department (it acts at its parent's level)",
  })
  level: string | null;
  @ApiProperty({ nullable: true, type: String, example: '市级', description: 'the level in Chinese' })
  levelLabel: string | null;
}

export class PersonDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '张三' }) name: string;
  @ApiProperty({ example: 'HBJ' }) unitCode: string;
  @ApiProperty({ enum: PERSON_ROLES, description: 'handler 经办人 or head 负责人' }) role: string;
  @ApiProperty({ nullable: true, type: String, example: '13800000000' }) phone: string | null;
}
