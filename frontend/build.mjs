// Builds the front end into vigil/static/dist (git-ignored).
// GOV.UK Frontend is compiled from source so we can drop the GDS Transport font and the crown:
// Vigil is a police force's service, not a GOV.UK one.
import { mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "vigil", "static", "dist");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "frontend", "scss", "vigil.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "vigil.css"), result.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// GOV.UK Frontend's CSS refers to this image (the footer crest, which we never show); without it
// collectstatic's manifest storage refuses to build in production.
mkdirSync(join(out, "images"), { recursive: true });
copyFileSync(join(govuk, "assets", "images", "govuk-crest.svg"), join(out, "images", "govuk-crest.svg"));
for (const name of ["vigil.mjs", "staff.mjs", "favicon.svg"]) {
  copyFileSync(join(root, "frontend", "js", name), join(out, name));
}
console.log(`front end built in ${out}`);
