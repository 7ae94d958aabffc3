import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { supervisedRoot } from '../org/office-scope.js';
import { DashboardService } from './dashboard.service.js';

@ApiTags('web')
@ApiBearerAuth()
@Controller('api/web/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiOperation({
    summary:
      'Counts by status and light, units ranked as in the bulletin, categories, the 12-month trend, the seed targets',
  })
  get(@CurrentUser() user: AuthUser) {
    // An office of a lower level sees its subtree's problems only.
    return this.dashboard.dashboard(supervisedRoot(user));
  }
}
