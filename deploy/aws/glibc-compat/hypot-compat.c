/*
 * Keeps the release binary runnable on glibc 2.34 (Amazon Linux 2023) when it is built on a newer
 * glibc. glibc 2.35 gave hypot/hypotf new symbol versions, and Foundation's static library calls
 * them, so a binary linked on Debian 12 (glibc 2.36) would ask for GLIBC_2.35 and fail to start on
 * AL2023. Linking this object first makes those calls land here, and here they go to the
 * implementation every glibc still exports under its oldest version.
 */
#if defined(__x86_64__)
#define GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define GLIBC_BASE "GLIBC_2.17"
#else
#error "add this architecture's first glibc symbol version"
#endif

double hypot_glibc_base(double x, double y);
float hypotf_glibc_base(float x, float y);
__asm__(".symver hypot_glibc_base, hypot@" GLIBC_BASE);
__asm__(".symver hypotf_glibc_base, hypotf@" GLIBC_BASE);

double hypot(double x, double y) { return hypot_glibc_base(x, y); }
float hypotf(float x, float y) { return hypotf_glibc_base(x, y); }
