declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(
      xml: string,
      typeName?: string,
      options?: Record<string, unknown>,
    ): Promise<{
      rootElement: any;
      references: any[];
      warnings: { message: string; element?: any; property?: string }[];
      elementsById: Record<string, any>;
    }>;
  }
  export default BpmnModdle;
}
