import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DefinitionService } from './definition.service.js';

/** Deploys `processes/` at boot, after every module has registered its handlers. */
@Injectable()
export class BootDeployer implements OnApplicationBootstrap {
  private readonly logger = new Logger('deploy');
  constructor(private readonly definitions: DefinitionService) {}

  async onApplicationBootstrap(): Promise<void> {
    const deployed = await this.definitions.deployFolder();
    const created = deployed.filter((d) => d.created).length;
    if (deployed.length) this.logger.log(`processes: ${deployed.length} files, ${created} new versions`);
  }
}
