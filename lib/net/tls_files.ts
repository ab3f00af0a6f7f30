/**
 * Loading `--cert FILE --key FILE` for `server --tls`, checked before anything binds:
 * both files readable, the certificate and the key parse as PEM, and the key belongs to
 * the certificate. Every failure is a one-line `UsageError` (exit 2).
 * @module
 */

import { createPrivateKey, X509Certificate } from "node:crypto";
import { UsageError } from "../errors.ts";
import { fingerprintOf } from "./fingerprint.ts";
import type { TlsCredentials } from "./self_signed.ts";

/** Reads and checks a PEM certificate (chain, leaf first) and its private key. */
export async function loadCredentials(certFile: string, keyFile: string): Promise<TlsCredentials> {
  const certPem = await readPem(certFile, "--cert");
  const keyPem = await readPem(keyFile, "--key");
  let cert: X509Certificate;
  try {
    if (!certPem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM block");
    cert = new X509Certificate(certPem);
  } catch {
    throw new UsageError(
      `Invalid --cert "${certFile}": not a PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(keyPem)) {
      throw new UsageError(
        `Invalid --key "${keyFile}": the key is encrypted; decrypt it first (openssl pkey -in KEY -out KEY.plain)`,
      );
    }
    key = createPrivateKey(keyPem);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Invalid --key "${keyFile}": not a PEM private key`);
  }
  let matches = false;
  try {
    matches = cert.checkPrivateKey(key);
  } catch {
    matches = false;
  }
  if (!matches) {
    throw new UsageError(
      `Certificate "${certFile}" and key "${keyFile}" do not match: the key is not the certificate's private key`,
    );
  }
  return { certPem, keyPem, fingerprint: await fingerprintOf(new Uint8Array(cert.raw)) };
}

async function readPem(path: string, option: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new UsageError(`Cannot read ${option} "${path}": ${fileReason(error)}`);
  }
}

/** A short reason for a failed file read. */
export function fileReason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  if (error instanceof TypeError) return "not a text file";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \(os error \d+\)$/, "").replace(/^./, (c) => c.toLowerCase());
}

/** Reads `--ca FILE`: one or more PEM certificates to trust in addition to the system's. */
export async function loadCaFile(path: string): Promise<string> {
  const pem = await readPem(path, "--ca");
  try {
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM block");
    new X509Certificate(pem);
  } catch {
    throw new UsageError(
      `Invalid --ca "${path}": not a PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  return pem;
}
