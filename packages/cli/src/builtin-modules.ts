import type { CreateStorageContainerOptions } from "@stowage/core";
import { esaKvModule } from "@stowage/adapter-esa-kv";
import { fsModule } from "@stowage/adapter-fs";
import { ks3Module } from "@stowage/adapter-ks3";
import { memoryModule } from "@stowage/adapter-memory";
import { redisModule } from "@stowage/adapter-redis";
import { s3Module } from "@stowage/adapter-s3";

/** Every adapter the CLI ships with, as DI modules; a `--config` file may name any of them. */
export const BUILTIN_MODULES: NonNullable<CreateStorageContainerOptions["modules"]> = [memoryModule, esaKvModule, ks3Module, redisModule, fsModule, s3Module];
