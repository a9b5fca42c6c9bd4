// The system context's door (health, documentation, sign-out). Nothing here is for other contexts.
export {};
