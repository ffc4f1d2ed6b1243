/** Every string the portal shows. Each dictionary must provide all of them. */
export interface Messages {
  brand: { name: string; tagline: string };
  landing: { title: string; heading: string; body: string; hint: string };
  order: { title: string; preparingTitle: string; preparingBody: string; keepPrivate: string };
  invalidLink: { title: string; body: string };
  error: { title: string; body: string };
}
