// Validates every document of a multi-document YAML file against the JSON schema of its
// apiVersion and kind (kubernetes-models), and prints one JSON line per document:
// {"kind", "name", "errors": [...]}; no errors means valid. Exit 0 once every document was
// checked, whatever the verdicts; 2 when the file cannot be read or parsed.
//
//   node validate.mjs FILE
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion "apps/v1" is the module kubernetes-models/apps/v1; the core group's "v1" is kubernetes-models/v1.
async function modelFor(apiVersion, kind) {
  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    return undefined;
  }
  return module[kind];
}

function messages(error) {
  if (Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
  }
  return [error.message];
}

async function verdict(document) {
  if (document.errors.length > 0) {
    return { kind: "", name: "", errors: document.errors.map((e) => e.message) };
  }
  const object = document.toJS();
  const kind = object?.kind ?? "";
  const name = object?.metadata?.name ?? "";
  const Model = await modelFor(object?.apiVersion ?? "", kind);
  if (Model === undefined) {
    return { kind, name, errors: [`no schema for apiVersion '${object?.apiVersion}' kind '${kind}'`] };
  }
  try {
    new Model(object).validate();
    return { kind, name, errors: [] };
  } catch (error) {
    return { kind, name, errors: messages(error) };
  }
}

function main() {
  const [file] = process.argv.slice(2);
  let documents;
  try {
    documents = parseAllDocuments(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`cannot read ${file}: ${error.message}`);
    process.exit(2);
  }
  return Promise.all(documents.map(verdict)).then((verdicts) => {
    for (const v of verdicts) console.log(JSON.stringify(v));
  });
}

await main();
