/**
 * The part of the registry intake needs. `RegistryStore` from @yujing/registry satisfies it
 * structurally; tests pass a small object.
 */
export interface IntakeRegistry {
  enterprise(id: string): object | undefined;
  gateway(enterpriseId: string, gatewayId: string): object | undefined;
  point(enterpriseId: string, code: string): { kind: string } | undefined;
}
