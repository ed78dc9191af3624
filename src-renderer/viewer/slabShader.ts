// Thick-slab sampling that honours the thickness label. vtk.js 37's ImageResliceMapper marches the slab with
// `distTraveled` growing one step per loop while the sample offset grows by up to two steps (numSlices counts
// both directions), so a "10 mm" slab gathers ~17 mm (pixel comparison in test/e2e/viewerSlab.test.ts). We
// replace that loop, after vtk.js builds its fragment shader, with a symmetric march: n equal steps of at most
// half the finest voxel spacing out to exactly ±thickness/2 on each side, samples outside the volume skipped,
// mean = sum / samples taken. Everything else in the shader (compositing, colour mapping) is vtk.js's own.

/** The start and end of vtk.js's slab loop in the generated fragment shader (a regular expression source). */
const VTK_SLAB_LOOP = '// Get the first and last samples[\\s\\S]*?tvalue = tvalue / float\\(numSlices\\);\\s*\\}';

const SYMMETRIC_SLAB_LOOP = `
// Pulmo: symmetric slab of exactly slabThickness (see src-renderer/viewer/slabShader.ts)
int numSlices = 1;
float scaling = min(min(spacing.x, spacing.y), spacing.z) * 0.5;
vec3 slabNormal = normalize(normalWCVSOutput);
float halfSlab = slabThickness * 0.5;
int slabSteps = max(1, int(ceil(halfSlab / scaling)));
float slabStep = halfSlab / float(slabSteps);
for (int s = 1; s <= slabSteps; ++s)
{
  vec3 slabOffset = float(s) * slabStep * slabNormal * vboScaling;
  vec3 worldPosNeg = vertexWCVSOutput.xyz - slabOffset;
  vec3 tcNeg = (WCTCMatrix0 * vec4(worldPosNeg, 1.0)).xyz;
  if (!any(greaterThan(tcNeg, vec3(1.0))) && !any(lessThan(tcNeg, vec3(0.0))))
  {
    tvalue = compositeValue(tvalue, rawSampleTexture(worldPosNeg), 0);
    numSlices += 1;
  }
  vec3 worldPosPos = vertexWCVSOutput.xyz + slabOffset;
  vec3 tcPos = (WCTCMatrix0 * vec4(worldPosPos, 1.0)).xyz;
  if (!any(greaterThan(tcPos, vec3(1.0))) && !any(lessThan(tcPos, vec3(0.0))))
  {
    tvalue = compositeValue(tvalue, rawSampleTexture(worldPosPos), 0);
    numSlices += 1;
  }
}
if (slabType == 2)
{
  tvalue = tvalue / float(numSlices);
}`;

/* eslint-disable @typescript-eslint/no-explicit-any -- vtk.js mappers are loosely typed */
/** Installs the symmetric slab loop on one vtkImageResliceMapper (applied whenever vtk.js rebuilds its shader). */
export function installExactSlabSampling(mapper: any): void {
  const props = mapper.getViewSpecificProperties() ?? {};
  const openGL = props.OpenGL ?? {};
  const replacements = (openGL.ShaderReplacements ?? []).filter((r: { originalValue: string }) => r.originalValue !== VTK_SLAB_LOOP);
  replacements.push({ shaderType: 'Fragment', originalValue: VTK_SLAB_LOOP, replacementValue: SYMMETRIC_SLAB_LOOP, replaceFirst: false, replaceAll: true });
  mapper.setViewSpecificProperties({ ...props, OpenGL: { ...openGL, ShaderReplacements: replacements } });
}
