import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { cleanName } from '../../common/control-chars.js';
import {
  CHANNEL_KINDS,
  OUTBOX_STATUSES,
  OWNER_TYPES,
  type ChannelKind,
  type OutboxStatus,
  type OwnerType,
} from '../notify.types.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateChannelDto {
  @ApiProperty({
    enum: OWNER_TYPES,
    description: "whose channel: a unit (by code), a person (by id) or a role (e.g. 'office')",
  })
  @IsIn(OWNER_TYPES)
  ownerType: OwnerType;

  @ApiPropertyOptional({ example: 'HBJ', description: 'the unit code or role name (unit and role owners)' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  ownerCode?: string;

  @ApiPropertyOptional({ description: 'the person id (person owners)' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiProperty({ enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS)
  kind: ChannelKind;

  @ApiPropertyOptional({
    example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
    description: 'e-mail address or robot webhook URL (http/https, a host of DUBAN_WEBHOOK_HOSTS); none for in-app',
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  target?: string;

  @ApiPropertyOptional({ description: 'DingTalk signing secret (加签), optional' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ example: '环保局整改群' })
  @Transform(cleanName)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional()
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  target?: string;

  @ApiPropertyOptional({ description: "a new DingTalk secret; '' removes it" })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional()
  @Transform(cleanName)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}

export class OutboxQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES, description: 'only notifications in this state' })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'only notifications through this channel' })
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500, description: 'at most this many, newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}
