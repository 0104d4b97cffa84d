import type { CreateStorageContainerOptions } from "@stowage/core";
import { memoryModule } from "@stowage/adapter-memory";

/** Every adapter the CLI ships with, as DI modules; a `--config` file may name any of them. */
export const BUILTIN_MODULES: NonNullable<CreateStorageContainerOptions["modules"]> = [memoryModule];
