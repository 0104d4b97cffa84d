import type { CreateStorageContainerOptions } from "@stowage/core";
import { esaKvModule } from "@stowage/adapter-esa-kv";
import { ks3Module } from "@stowage/adapter-ks3";
import { memoryModule } from "@stowage/adapter-memory";

/** Every adapter the CLI ships with, as DI modules; a `--config` file may name any of them. */
export const BUILTIN_MODULES: NonNullable<CreateStorageContainerOptions["modules"]> = [memoryModule, esaKvModule, ks3Module];
