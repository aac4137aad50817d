// Set one value with the npm `yaml` Document API, as a user script would: FILE PATH_JSON VALUE.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";

const [file, pathJson, value] = process.argv.slice(2);
const doc = parseDocument(readFileSync(file, "utf8"));
doc.setIn(JSON.parse(pathJson), value);
process.stdout.write(doc.toString());
