import os from 'node:os';
import type { MachineInfo } from './report.ts';

export function describeMachine(postgresVersion: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.versions.node,
    postgres: postgresVersion,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg()[0] ?? Number.NaN,
  };
}
