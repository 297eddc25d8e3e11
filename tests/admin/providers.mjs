// Every method of a data provider, run against a sqlcrud app: node providers.mjs URL react-admin|refine
// Prints one JSON object: what each call returned to the UI (or the error it raised).
import simpleRestProvider from "ra-data-simple-rest";
import refineProvider from "@refinedev/simple-rest";

const [base, provider] = process.argv.slice(2);
const results = {};

async function step(name, call) {
  try {
    results[name] = await call();
  } catch (error) {
    results[name] = { error: error.message ?? String(error), status: error.status ?? error.statusCode };
  }
}

if (provider === "react-admin") {
  const api = simpleRestProvider(`${base}/ra`);
  const page = (perPage, page = 1) => ({ page, perPage });
  await step("create_author", () => api.create("authors", { data: { login: "ann", name: "Ann" } }));
  await step("create_author_2", () => api.create("authors", { data: { login: "bob", name: "Bob" } }));
  for (const [title, views] of [["Hello", 5], ["World", 50], ["Hello again", 500]]) {
    await step(`create_${title}`, () =>
      api.create("posts", { data: { title, views, author_login: views < 100 ? "ann" : "bob" } }));
  }
  await step("getList", () =>
    api.getList("posts", { pagination: page(2), sort: { field: "views", order: "DESC" }, filter: {} }));
  await step("getList_page_2", () =>
    api.getList("posts", { pagination: page(2, 2), sort: { field: "views", order: "DESC" }, filter: {} }));
  await step("getList_filtered", () =>
    api.getList("posts", { pagination: page(10), sort: { field: "id", order: "ASC" }, filter: { q: "hello", views_gte: 10 } }));
  await step("getList_empty", () =>
    api.getList("posts", { pagination: page(10), sort: { field: "id", order: "ASC" }, filter: { title: "none" } }));
  await step("getOne", () => api.getOne("posts", { id: 2 }));
  await step("getOne_author", () => api.getOne("authors", { id: "ann" }));
  await step("getMany", () => api.getMany("posts", { ids: [3, 1] }));
  await step("getMany_authors", () => api.getMany("authors", { ids: ["bob", "ann"] }));
  await step("getManyReference", () =>
    api.getManyReference("posts", { target: "author_login", id: "ann", pagination: page(10), sort: { field: "title", order: "ASC" }, filter: {} }));
  const record = (await api.getOne("posts", { id: 1 })).data;
  await step("update", () => api.update("posts", { id: 1, data: { ...record, title: "Hello, edited" }, previousData: record }));
  await step("update_author", () => api.update("authors", { id: "bob", data: { id: "bob", login: "bob", name: "Robert" } }));
  await step("update_read_only", () => api.update("posts", { id: 1, data: { ...record, id: 7 }, previousData: record }));
  await step("updateMany", () => api.updateMany("posts", { ids: [1, 2], data: { published: true } }));
  await step("delete", () => api.delete("posts", { id: 3 }));
  await step("deleteMany", () => api.deleteMany("posts", { ids: [1, 2] }));
  await step("getList_after", () =>
    api.getList("posts", { pagination: page(10), sort: { field: "id", order: "ASC" }, filter: {} }));
  await step("getOne_missing", () => api.getOne("posts", { id: 3 }));
  await step("getList_bad_filter", () =>
    api.getList("posts", { pagination: page(10), sort: { field: "id", order: "ASC" }, filter: { views: "many" } }));
} else {
  const api = refineProvider(`${base}/refine`);
  await step("create_author", () => api.create({ resource: "authors", variables: { login: "ann", name: "Ann" } }));
  await step("create_author_2", () => api.create({ resource: "authors", variables: { login: "bob", name: "Bob" } }));
  for (const [title, views] of [["Hello", 5], ["World", 50], ["Hello again", 500]]) {
    await step(`create_${title}`, () =>
      api.create({ resource: "posts", variables: { title, views, author_login: views < 100 ? "ann" : "bob" } }));
  }
  await step("getList", () =>
    api.getList({ resource: "posts", pagination: { currentPage: 1, pageSize: 2 }, sorters: [{ field: "views", order: "desc" }] }));
  await step("getList_page_2", () =>
    api.getList({ resource: "posts", pagination: { currentPage: 2, pageSize: 2 }, sorters: [{ field: "views", order: "desc" }] }));
  await step("getList_filtered", () =>
    api.getList({
      resource: "posts",
      filters: [
        { field: "title", operator: "contains", value: "hello" },
        { field: "views", operator: "gte", value: 10 },
        { field: "views", operator: "ne", value: 7 },
      ],
    }));
  await step("getList_search", () =>
    api.getList({ resource: "posts", filters: [{ field: "q", operator: "eq", value: "WORLD" }] }));
  await step("getList_in", () =>
    api.getList({ resource: "posts", filters: [{ field: "author_login", operator: "in", value: ["bob", "ann"] }], sorters: [{ field: "id", order: "asc" }] }));
  await step("getList_empty", () =>
    api.getList({ resource: "posts", filters: [{ field: "title", operator: "eq", value: "none" }] }));
  await step("getOne", () => api.getOne({ resource: "posts", id: 2 }));
  await step("getOne_author", () => api.getOne({ resource: "authors", id: "ann" }));
  await step("getMany", () => api.getMany({ resource: "posts", ids: [3, 1] }));
  await step("getMany_authors", () => api.getMany({ resource: "authors", ids: ["bob", "ann"] }));
  await step("update", () => api.update({ resource: "posts", id: 1, variables: { title: "Hello, edited" } }));
  await step("update_author", () => api.update({ resource: "authors", id: "bob", variables: { name: "Robert" } }));
  await step("deleteOne", () => api.deleteOne({ resource: "posts", id: 3 }));
  await step("getList_after", () => api.getList({ resource: "posts", sorters: [{ field: "id", order: "asc" }] }));
  await step("getOne_missing", () => api.getOne({ resource: "posts", id: 3 }));
  await step("getList_bad_filter", () =>
    api.getList({ resource: "posts", filters: [{ field: "views", operator: "gte", value: "many" }] }));
}
console.log(JSON.stringify(results));
