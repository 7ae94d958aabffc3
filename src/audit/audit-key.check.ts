import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** The service does not start with a key that is not the trail's (the operator commands still verify with it). */
@Injectable()
export class AuditKeyCheck implements OnModuleInit {
  constructor(private readonly audit: AuditService) {}

  onModuleInit(): Promise<void> {
    return this.audit.assertKey();
  }
}
